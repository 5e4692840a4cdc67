// expect: a dataset needs at least one sample
// A fixed-size dataset of zero rows (run-time data may be empty: use a dataset_view).
#include <kiln/dataset.hpp>

kiln::dataset<double, 0, 2, 1> nothing{};
