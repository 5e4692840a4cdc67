#!/usr/bin/env python3
# tests/data/npy/make_fixtures.py — writes the .npy/.npz fixtures of tests/npy_test.cpp with NumPy (run once; the files are checked in).
#
#   python3 make_fixtures.py        (in this directory; NumPy 1.24.2 made the checked-in files)
#
# Values are small multiples of 1/4 so every dtype holds them exactly and the tests can
# name them: a[r][c] = (3 * r + c) / 4 - 0.5 for the (2, 3) arrays.
import zipfile

import numpy as np

# The seed (shared/seed/neural-network-from-scratch.md): its NumPy training, as it is written
# there; returns its inputs and trained weights (a Keras-layout kernel [in, out] for kiln's
# dense<3, 1, sigmoid, no_bias>). tests/npy_numpy_roundtrip.py runs it too.
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def train_seed():
    inputs = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    outputs = np.array([[0], [0], [1], [1]])
    np.random.seed(42)
    weights = 2 * np.random.random((3, 1)) - 1
    for epoch in range(10000):
        layer_output = sigmoid(np.dot(inputs, weights))
        error = outputs - layer_output
        weights += np.dot(inputs.T, error * layer_output * (1 - layer_output))
    return inputs, weights


def main():
    a = (np.arange(6).reshape(2, 3) / 4 - 0.5)
    np.save("f4.npy", a.astype("<f4"))
    np.save("f8.npy", a.astype("<f8"))
    np.save("f4_big_endian.npy", a.astype(">f4"))
    np.save("f8_big_endian.npy", a.astype(">f8"))
    np.save("f4_fortran.npy", np.asfortranarray(a.astype("<f4")))            # fortran_order: True
    np.save("f8_fortran_3d.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
    np.save("i1.npy", np.array([-128, -1, 0, 127], dtype="|i1"))
    np.save("i4.npy", np.array([[-2147483648, -1], [0, 2147483647], [7, 16777217]], dtype="<i4"))
    np.save("i4_big_endian.npy", np.array([[-2147483648, -1], [0, 2147483647], [7, 16777217]], dtype=">i4"))
    np.save("scalar.npy", np.array(2.5, dtype="<f8"))                       # shape ()
    np.save("empty.npy", np.zeros((0, 3), dtype="<f4"))
    np.save("i8.npy", np.arange(3, dtype="<i8"))                             # a dtype kiln refuses
    for version in [(2, 0), (3, 0)]:
        with open("f4_v%d.npy" % version[0], "wb") as f:
            np.lib.format.write_array(f, a.astype("<f4"), version=version)

    # A 3-4-2 network (dense<3, 4> then dense<4, 2>): w[o][i] = (o - i) / 8, b[o] = o / 4 - 0.25 (layer 1: negated).
    def layer(ins, outs, sign):
        w = sign * (np.arange(outs)[:, None] - np.arange(ins)[None, :]) / 8
        b = sign * (np.arange(outs) / 4 - 0.25)
        return w, b
    (w0, b0), (w1, b1) = layer(3, 4, 1), layer(4, 2, -1)
    np.savez("net_pytorch.npz", **{"0.weight": w0.astype("<f4"), "0.bias": b0.astype("<f4"),
                                   "1.weight": w1.astype("<f4"), "1.bias": b1.astype("<f4")})
    np.savez("net_keras.npz", **{"dense.kernel": w0.T.astype("<f8"), "dense.bias": b0.astype("<f8"),
                                 "dense_1.kernel": w1.T.astype("<f8"), "dense_1.bias": b1.astype("<f8")})
    np.savez("net_pytorch_f8.npz", **{"0.weight": w0, "0.bias": b0, "1.weight": w1, "1.bias": b1})
    np.savez_compressed("net_compressed.npz", **{"0.weight": w0.astype("<f4"), "0.bias": b0.astype("<f4"),
                                                "1.weight": w1.astype("<f4"), "1.bias": b1.astype("<f4")})

    inputs, weights = train_seed()
    np.savez("seed.npz", **{"dense.kernel": weights})
    np.save("seed_predictions.npy", sigmoid(np.dot(inputs, weights)))

    # The same network with every zip64 field Python's zipfile can write (central directory
    # sizes and offsets, the zip64 end records), forced by lowering its limits; np.load reads it.
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 16, 1
    np.savez("net_zip64.npz", **{"0.weight": w0.astype("<f4"), "0.bias": b0.astype("<f4"),
                                 "1.weight": w1.astype("<f4"), "1.bias": b1.astype("<f4")})
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    assert (np.load("net_zip64.npz")["1.bias"] == b1.astype("<f4")).all()


if __name__ == "__main__":
    main()
