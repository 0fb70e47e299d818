// Compiled only by the `layering` test, as if it were part of engine/model/: a model file that
// reaches up into process/ must not compile, because model's include root does not hold it.
// If this file ever builds, the module boundaries of engine/CMakeLists.txt have leaked.
#include "model/Situation.h"
#include "process/FundingProcess.h"
