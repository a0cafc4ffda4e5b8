// maillage: matching people in reinforced integration support to the partner
// services of their territory. Include this header for the whole public API.

#ifndef MAILLAGE_MAILLAGE_H_
#define MAILLAGE_MAILLAGE_H_

#include "maillage/allocate.h"    // IWYU pragma: export
#include "maillage/edit.h"        // IWYU pragma: export
#include "maillage/export.h"      // IWYU pragma: export
#include "maillage/geo.h"         // IWYU pragma: export
#include "maillage/geojson.h"     // IWYU pragma: export
#include "maillage/ids.h"         // IWYU pragma: export
#include "maillage/import.h"      // IWYU pragma: export
#include "maillage/io.h"          // IWYU pragma: export
#include "maillage/journal.h"     // IWYU pragma: export
#include "maillage/model.h"       // IWYU pragma: export
#include "maillage/network.h"     // IWYU pragma: export
#include "maillage/problem.h"     // IWYU pragma: export
#include "maillage/progress.h"    // IWYU pragma: export
#include "maillage/rank.h"        // IWYU pragma: export
#include "maillage/referral.h"    // IWYU pragma: export
#include "maillage/schema.h"      // IWYU pragma: export
#include "maillage/session.h"     // IWYU pragma: export
#include "maillage/summary.h"     // IWYU pragma: export
#include "maillage/synth.h"       // IWYU pragma: export
#include "maillage/vocabulary.h"  // IWYU pragma: export

#endif  // MAILLAGE_MAILLAGE_H_
