// kiln/kiln.hpp — the whole freestanding core in one include (kiln/io/ is separate: host only).
#pragma once

#include "activation.hpp"
#include "dataset.hpp"
#include "init.hpp"
#include "layer.hpp"
#include "loss.hpp"
#include "math.hpp"
#include "metrics.hpp"
#include "network.hpp"
#include "optimizer.hpp"
#include "quantize.hpp"
#include "random.hpp"
#include "scale.hpp"
#include "train.hpp"
