"""PyTorch peer for `make bench`: the same GAN iteration in eager PyTorch on the CPU.

Written the way a competent PyTorch user writes a GAN loop: nn.Sequential models,
BCEWithLogitsLoss on D's logit, one torch.optim.Adam per player, ``torch.no_grad()`` and
``eval()`` for fakes that only D learns from, and D frozen (``requires_grad_(False)``, as
pix2pix/CycleGAN's set_requires_grad) during G's update, so that, as in TF's var_list and
Keras' trainable=False, no gradient is computed for D's weights there. Initialisation follows tf_gan (Glorot-uniform
kernels, zero biases) rather than PyTorch's Kaiming default, so both start alike.

keras_gan: BatchNorm1d(momentum=0.2, eps=1e-3) is Keras' momentum 0.8 in PyTorch's convention
(new = (1 - momentum) * old + momentum * batch). PyTorch's training mode updates the running
variance with the *unbiased* batch variance where Keras/TF use the biased one: a factor
128/127, which changes only the inference-mode fakes slightly and not the cost.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn
from worker import parser, report  # bench/peers/worker.py


def glorot(model: nn.Module) -> nn.Module:
    """Xavier-uniform weights and zero biases for every Linear, as tf_gan's weight_var / dense."""
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def build(setting: str) -> tuple[nn.Module, nn.Module, torch.optim.Optimizer, torch.optim.Optimizer]:
    """(G, D, D's Adam, G's Adam) for the setting."""
    if setting == "wiseodd":
        G = nn.Sequential(nn.Linear(100, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid())
        D = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 1))
        adam = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)  # TF1 AdamOptimizer defaults
    else:
        blocks: list[nn.Module] = []
        for n_in, n_out in ((100, 256), (256, 512), (512, 1024)):
            blocks += [nn.Linear(n_in, n_out), nn.LeakyReLU(0.2), nn.BatchNorm1d(n_out, eps=1e-3, momentum=0.2)]
        G = nn.Sequential(*blocks, nn.Linear(1024, 784), nn.Tanh())
        D = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2),
                          nn.Linear(256, 1))
        adam = dict(lr=2e-4, betas=(0.5, 0.999), eps=1e-7)  # Keras' Adam(2e-4, 0.5)
    G, D = glorot(G), glorot(D)
    return G, D, torch.optim.Adam(D.parameters(), **adam), torch.optim.Adam(G.parameters(), **adam)


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = torch.from_numpy(np.load(args.images))
    G, D, d_opt, g_opt = build(args.setting)
    bce = nn.BCEWithLogitsLoss()
    bs, z_dim = 128, 100
    ones, zeros = torch.ones(bs, 1), torch.zeros(bs, 1)

    def noise() -> torch.Tensor:
        if args.setting == "wiseodd":
            return torch.rand(bs, z_dim) * 2.0 - 1.0
        return torch.randn(bs, z_dim)

    def d_step(loss: torch.Tensor) -> None:
        d_opt.zero_grad(set_to_none=True)
        loss.backward()
        d_opt.step()

    def iteration() -> tuple[torch.Tensor, torch.Tensor]:
        real = images[torch.randint(0, len(images), (bs,))]
        if args.setting == "wiseodd":
            fake = G(noise()).detach()  # D's update must not reach G
            d = bce(D(real), ones) + bce(D(fake), zeros)
            d_step(d)
        else:
            G.eval()  # generator.predict: moving BN statistics
            with torch.no_grad():
                fake = G(noise())
            G.train()
            d_real = bce(D(real), ones)
            d_step(d_real)
            d_fake = bce(D(fake), zeros)  # with D's weights after the real update, as Keras
            d_step(d_fake)
            d = 0.5 * (d_real.detach() + d_fake.detach())
        for p in D.parameters():  # frozen D: gradients reach G through it, D's own are not computed
            p.requires_grad_(False)
        g = bce(D(G(noise())), ones)  # non-saturating: fakes labelled real
        g_opt.zero_grad(set_to_none=True)
        g.backward()
        g_opt.step()
        for p in D.parameters():
            p.requires_grad_(True)
        return d.detach(), g.detach()

    for _ in range(args.warmup):
        iteration()
    start = time.perf_counter()
    for _ in range(args.iters):
        d_loss, g_loss = iteration()  # eager CPU ops are synchronous
    seconds = time.perf_counter() - start
    report("torch", args.setting, args.iters, seconds, d_loss, g_loss, torch.__version__,
           threads=torch.get_num_threads())


if __name__ == "__main__":
    main()
