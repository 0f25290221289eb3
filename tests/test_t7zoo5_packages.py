"""A class of another Torch7 package (fbcunn's nn.DataParallel, imagine-nn's inn.ROIPooling,
stnbhwd's sampler) is named with its package wherever torch7py names the class: the load's
refusal and note, using it as a module, the export's list."""
import gpu_corpus as G
import numpy as np
import pytest

import torch7py as torch
from torch7py import serialization as S
from torch7py.serialization.packages import described, package_of

D = "torch.DoubleTensor"


def model_with(typename):
    return G.dumps(G.sequential(G.nn_linear(np.ones((2, 2)), np.zeros(2), ttype=D),
                                G.Obj(typename, {"modules": [], "train": True}), ttype=D))


def test_package_of_known_classes():
    assert package_of("nn.DataParallel").startswith("fbcunn (facebookarchive/fbcunn")
    assert package_of("inn.ROIPooling") == "inn (szagoruyko/imagine-nn)"
    assert package_of("nn.BilinearSamplerBHWD") == "stn (qassemoquab/stnbhwd)"
    assert package_of("nn.SeqLSTM") == "rnn (Element-Research/rnn)"
    assert package_of("nn.SpatialNormalization") == "nnx (clementfarabet/lua---nnx)"
    assert package_of("nn.NotAClassAnywhere") is None
    # torch-rnn's checkpoints hold an nn.LSTM of their own
    assert "own project" in package_of("nn.LSTM")
    assert described("nn.X") == "nn.X"


def test_refused_load_names_the_package():
    with pytest.raises(S.SerializationError,
                       match=r"unknown Torch class <nn.DataParallel> \(a class of fbcunn"):
        S.deserialize(model_with("nn.DataParallel"), unknown_classes="error")


def test_using_it_names_the_package_and_define(capsys):
    m = S.deserialize(model_with("inn.ROIPooling"), unknown_classes="note")
    assert "inn.ROIPooling (a class of inn: szagoruyko/imagine-nn)" in capsys.readouterr().err
    with pytest.raises(AttributeError) as e:
        m.forward(torch.DoubleTensor([1, 2]))
    text = str(e.value)
    assert "inn.ROIPooling (a class of inn: szagoruyko/imagine-nn)" in text
    assert "register_class('inn.ROIPooling', cls)" in text and "--define FILE.py" in text


def test_export_names_the_package():
    pytest.importorskip("torch")
    from torch7py.export import ExportError, to_pytorch
    m = S.deserialize(model_with("nn.BilinearSamplerBHWD"), unknown_classes="table")
    with pytest.raises(ExportError, match=r"nn.BilinearSamplerBHWD: .*of stn \(qassemoquab"):
        to_pytorch(m)


def test_a_gpu_class_kept_by_name_says_how_to_run_it():
    conv = G.cudnn_conv(np.ones((2, 1, 3, 3)), np.zeros(2), ttype="torch.CudaDoubleTensor")
    kept = S.deserialize(G.dumps(conv), gpu_types="keep")
    with pytest.raises(AttributeError, match=r"cudnn.SpatialConvolution was kept as a plain "
                       r"object .* by gpu_types='keep'.*torch7py.legacy.convert"):
        kept.forward(torch.DoubleTensor(1, 5, 5))
    from torch7py import legacy
    m = legacy.convert(kept)
    assert torch.typename(m) == "nn.SpatialConvolution"
    m.double()      # its tensors keep their cutorch names until converted, as in Torch7
    assert tuple(m.forward(torch.DoubleTensor(1, 5, 5).fill(1)).size()) == (2, 3, 3)
