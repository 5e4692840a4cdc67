// kiln/inference.hpp — what running a trained network needs, and nothing of training: for firmware.
//
// Networks, their layers and activations, the math behind them, datasets and metrics (to
// check a baked network with static_assert). No trainer, optimizers or losses of its own:
// metrics.hpp brings loss.hpp (for evaluate()), and network.hpp brings init.hpp and
// random.hpp (for network::initialized()); all of it is constexpr templates, so nothing
// of it reaches an image unless called.
#pragma once

#include "activation.hpp"
#include "dataset.hpp"
#include "layer.hpp"
#include "math.hpp"
#include "metrics.hpp"
#include "network.hpp"
#include "quantize.hpp"
#include "scale.hpp"
