"""The game in one and two dimensions (lessons 06 and 07): data, graph, training and pictures."""
