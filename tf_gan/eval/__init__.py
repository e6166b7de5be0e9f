"""Did it work? tf_gan's own MNIST classifier, the metrics, and the evaluation of a set of samples."""
