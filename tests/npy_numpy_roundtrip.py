#!/usr/bin/env python3
# tests/npy_numpy_roundtrip.py — NumPy's half of the round trip (see tests/npy_numpy_roundtrip.cpp): load kiln's files, write them back, predict.
#
#   python3 npy_numpy_roundtrip.py <dir>
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "npy"))
from make_fixtures import sigmoid, train_seed  # noqa: E402

d = sys.argv[1] + "/"

# kiln's archives as np.load sees them: the dtypes and shapes kiln promises.
pt = dict(np.load(d + "kiln_pytorch.npz"))
assert sorted(pt) == ["0.bias", "0.weight", "1.bias", "1.weight"], sorted(pt)
assert pt["0.weight"].dtype == np.float32 and pt["0.weight"].shape == (5, 3), pt["0.weight"]
assert pt["1.weight"].shape == (2, 5) and pt["1.bias"].shape == (2,)
keras = dict(np.load(d + "kiln_keras.npz"))
assert sorted(keras) == ["dense.bias", "dense.kernel", "dense_1.bias", "dense_1.kernel"], sorted(keras)
assert keras["dense.kernel"].dtype == np.float64 and keras["dense.kernel"].shape == (3, 5)
x = np.load(d + "inputs.npy")
assert x.shape == (6, 3) and x.dtype == np.float64

# Written back by NumPy (big-endian and Fortran-ordered copies too, which kiln must undo).
np.savez(d + "back_pytorch.npz", **{k: (np.asfortranarray(v) if v.ndim == 2 else v.astype(">f4")) for k, v in pt.items()})
np.savez(d + "back_keras.npz", **{k: v.astype(">f8") for k, v in keras.items()})

# NumPy's forward pass of kiln's double network: y = sigmoid(tanh(x K0 + b0) K1 + b1).
h = np.tanh(x @ keras["dense.kernel"] + keras["dense.bias"])
np.save(d + "kiln_keras_predictions.npy", sigmoid(h @ keras["dense_1.kernel"] + keras["dense_1.bias"]))

# A network NumPy draws itself, as a PyTorch state_dict would hold it: y = sigmoid(tanh(x W0^T + b0) W1^T + b1).
rng = np.random.RandomState(7)
w0, b0, w1, b1 = rng.uniform(-1, 1, (5, 3)), rng.uniform(-1, 1, 5), rng.uniform(-1, 1, (2, 5)), rng.uniform(-1, 1, 2)
np.savez(d + "numpy_net.npz", **{"0.weight": w0, "0.bias": b0, "1.weight": w1, "1.bias": b1})
np.save(d + "numpy_net_predictions.npy", sigmoid(np.tanh(x @ w0.T + b0) @ w1.T + b1))

# The seed, trained by its own NumPy code (the fixtures' generator holds it).
inputs, weights = train_seed()
np.savez(d + "seed.npz", **{"dense.kernel": weights})
np.save(d + "seed_predictions.npy", sigmoid(np.dot(inputs, weights)))
print("numpy: ok")
