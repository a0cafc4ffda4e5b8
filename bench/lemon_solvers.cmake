# LEMON's solvers (Debian liblemon-dev) in a C++17 library of their own
# (LEMON 1.3's CostScaling does not compile as C++20): the benchmarks compare
# with them and the tests use NetworkSimplex as their oracle. Included from
# bench/ and tests/; the first include defines the target.
include_guard(GLOBAL)

find_package(lemon CONFIG REQUIRED)
add_library(lemon_solvers STATIC "${CMAKE_CURRENT_LIST_DIR}/lemon_solvers.cc")
set_target_properties(lemon_solvers PROPERTIES CXX_STANDARD 17)
target_include_directories(lemon_solvers PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_include_directories(lemon_solvers SYSTEM PRIVATE ${LEMON_INCLUDE_DIRS})
target_link_libraries(lemon_solvers PRIVATE ${LEMON_LIBRARIES})
# LEMON's SmartDigraph trips GCC 12's -Wmaybe-uninitialized when inlined at
# -O2 (asan-ubsan preset), in LEMON's own code.
target_compile_options(lemon_solvers PRIVATE -Wno-maybe-uninitialized)
