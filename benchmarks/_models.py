"""The networks the benchmarks time, built once here: an MLP of Linear + ReLU layers ending in
LogSoftMax, and LeNet-5 on 1x32x32 inputs."""
from torch7py import nn


def mlp(sizes=(784, 1000, 1000, 10)):
    """Linear layers of the given sizes, ReLU between them, LogSoftMax at the end."""
    m = nn.Sequential()
    for i in range(len(sizes) - 1):
        m.add(nn.Linear(sizes[i], sizes[i + 1]))
        m.add(nn.ReLU() if i < len(sizes) - 2 else nn.LogSoftMax())
    return m


def lenet(conv=nn.SpatialConvolution):
    """LeNet-5: two 5x5 convolutions (`conv`'s class) with ReLU and 2x2 max-pooling, three
    Linear layers."""
    return (nn.Sequential()
            .add(conv(1, 6, 5, 5)).add(nn.ReLU())
            .add(nn.SpatialMaxPooling(2, 2, 2, 2))
            .add(conv(6, 16, 5, 5)).add(nn.ReLU())
            .add(nn.SpatialMaxPooling(2, 2, 2, 2))
            .add(nn.View(16 * 5 * 5))
            .add(nn.Linear(400, 120)).add(nn.ReLU())
            .add(nn.Linear(120, 84)).add(nn.ReLU())
            .add(nn.Linear(84, 10)).add(nn.LogSoftMax()))
