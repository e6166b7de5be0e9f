"""Pictures: sample grids and GIFs, loss and quality curves, the theory figures."""
