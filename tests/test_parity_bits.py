"""th-parity --bits: bit_counts counts the golden's float and double values that a run gives
bit for bit, beside the tolerant comparison (PROTOCOL.md's rules) that passes them."""
from compat import protocol
from compat.parity import format_bits


def _t(kind, data):
    return {"tensor": kind, "size": [len(data)], "stride": [1], "offset": 1, "data": data}


def test_counts_tensor_data_and_plain_numbers_by_path():
    x = 0.1 + 0.2                       # 0.30000000000000004
    want = {"a": _t("torch.DoubleTensor", [x, 1.5, {"num": "nan"}]),
            "b": [0.25, 7, "text"],
            "c": _t("torch.LongTensor", [1, 2]),
            "d": {"e": 0.3}}
    got = {"a": _t("torch.DoubleTensor", [0.3, 1.5, {"num": "nan"}]),
           "b": [0.25, 7, "text"],
           "c": _t("torch.LongTensor", [1, 2]),
           "d": {"e": 0.30000000000000004}}
    # within the tolerances: the run passes
    assert protocol.compare(got, want) == []
    c = protocol.bit_counts(got, want)
    # a's three values, b's 0.25 (7 is an integer, "text" no number), d/e; c is exact data
    assert (c["compared"], c["identical"]) == (5, 3)
    assert c["paths"] == {"/a": 1, "/d/e": 1}


def test_float_tensors_count_and_integers_do_not():
    want = {"f": _t("torch.FloatTensor", [0.5, 0.10000000149011612]), "n": 3}
    got = {"f": _t("torch.FloatTensor", [0.5, 0.10000000149011613]), "n": 3.0}
    c = protocol.bit_counts(got, want)
    assert (c["compared"], c["identical"]) == (2, 1)


def test_format_bits_lists_the_cases_that_differ_then_the_total():
    vs = [{"name": "same", "bits": {"compared": 4, "identical": 4, "paths": {}}},
          {"name": "off", "bits": {"compared": 10, "identical": 7, "paths": {"/x": 2, "/y": 1}}},
          {"name": "failed", "error": "boom"}]
    assert format_bits(vs) == [
        "bits off: 3 of 10 values differ (/x 2, /y 1)",
        "bit-identical: 11 of 14 float and double values; 1 of 2 cases entirely"]
