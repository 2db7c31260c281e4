"""PLN Kit: publish and keep alive a curated personal learning network starter kit."""

__version__ = "0.1.0"
