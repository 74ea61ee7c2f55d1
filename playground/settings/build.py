"""A Config becomes core objects: its dataset and a Trainer of its network on that data."""

from __future__ import annotations

from core import MLP, Dataset, Trainer, make_dataset
from playground.settings.config import Config


def make_data(config: Config) -> Dataset:
    """The config's dataset: its generator, noise, size, train/test split and data seed."""
    return make_dataset(config.dataset, n_samples=config.n_samples, noise=config.noise / 100,
                        test_fraction=1 - config.train_percent / 100, seed=config.seed)


def build_trainer(config: Config, init_seed: int, data: Dataset | None = None) -> Trainer:
    """A network and Trainer for `config` on `data` (default: the config's fresh dataset), with
    the config's stop conditions; `init_seed` draws the initial weights."""
    data = make_data(config) if data is None else data
    net = MLP(config.layer_sizes, activation=config.hidden_activations,
              output_activation=config.output_activation, seed=init_seed, init=config.init)
    trainer = Trainer(net, data, loss=config.loss, optimizer=config.optimizer,
                      learning_rate=config.learning_rate, batch_size=config.batch_size,
                      regularization=config.regularization,
                      regularization_rate=config.regularization_rate,
                      features=config.features, seed=init_seed)
    trainer.set_stop(**config.stop)
    return trainer
