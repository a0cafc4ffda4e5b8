# Runs one command and checks its exit code and standard output.
#
# Usage (cmake -P mode; the command and its arguments come after `--`):
#   cmake -DWORKDIR=<dir> [-DEXPECT_EXIT=<code>|nonzero] [-DEXPECTED=<file>]
#         [-DCONTAINS=<a|b|...>] [-DNOT_CONTAINS=<a|b|...>]
#         [-DERR_CONTAINS=<a|b|...>] [-DEMPTY_STDOUT=ON] [-DCHECK_COUNTS=ON]
#         [-DREMOVE_DIR=<dir>] [-DFILE_EXISTS=<a|b|...>]
#         -P run_and_compare.cmake -- <program> [args...]
#
#   WORKDIR       working directory of the command (required).
#   EXPECT_EXIT   expected exit code (default 0), or `nonzero`.
#   EXPECTED      file holding the exact expected standard output, byte for
#                 byte; relative paths are taken from WORKDIR.
#   CONTAINS      '|'-separated strings that standard output must contain.
#   NOT_CONTAINS  '|'-separated strings that standard output must not contain
#                 (e.g. values of a person's fields: privacy rule).
#   ERR_CONTAINS  '|'-separated strings that standard error must contain.
#   EMPTY_STDOUT  standard output must be empty.
#   CHECK_COUNTS  every `FILE: read R, loaded L, rejected J` line of standard
#                 output must satisfy R == L + J.
#   REMOVE_DIR    folder removed before the command runs (a fresh output dir).
#   FILE_EXISTS   '|'-separated paths (relative to WORKDIR) that must exist
#                 after the command.
#
# Lists use '|' rather than ';' so that they survive add_test() unescaped.

cmake_minimum_required(VERSION 3.25)

# The command: every argument after `--`.
set(cmd)
set(in_cmd FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(in_cmd)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(in_cmd TRUE)
  endif()
endforeach()
if(NOT cmd)
  message(FATAL_ERROR "run_and_compare: no command given after `--`")
endif()
if(NOT DEFINED WORKDIR)
  message(FATAL_ERROR "run_and_compare: WORKDIR is required")
endif()
if(NOT DEFINED EXPECT_EXIT)
  set(EXPECT_EXIT 0)
endif()

if(DEFINED REMOVE_DIR AND NOT REMOVE_DIR STREQUAL "")
  file(REMOVE_RECURSE "${REMOVE_DIR}")
endif()

execute_process(
  COMMAND ${cmd}
  WORKING_DIRECTORY "${WORKDIR}"
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

string(REPLACE ";" " " cmd_text "${cmd}")
set(failures)

if(EXPECT_EXIT STREQUAL "nonzero")
  if(exit_code STREQUAL "0" OR NOT exit_code MATCHES "^[0-9]+$")
    list(APPEND failures "exit code: expected non-zero, got '${exit_code}'")
  endif()
elseif(NOT exit_code STREQUAL EXPECT_EXIT)
  list(APPEND failures
       "exit code: expected ${EXPECT_EXIT}, got '${exit_code}'")
endif()

if(DEFINED EXPECTED AND NOT EXPECTED STREQUAL "")
  cmake_path(ABSOLUTE_PATH EXPECTED BASE_DIRECTORY "${WORKDIR}")
  if(NOT EXISTS "${EXPECTED}")
    list(APPEND failures "expected-output file ${EXPECTED} does not exist")
  else()
    file(READ "${EXPECTED}" want)
    if(NOT out STREQUAL want)
      # Show the first differing line to make the failure easy to read
      # (string operations only: output lines may hold ';' or brackets).
      set(a_rest "${out}")
      set(b_rest "${want}")
      set(line 1)
      set(first_diff "")
      while(NOT a_rest STREQUAL "" OR NOT b_rest STREQUAL "")
        foreach(side a b)
          string(FIND "${${side}_rest}" "\n" nl)
          if(${side}_rest STREQUAL "")
            set(${side}_line "<end of output>")
          elseif(nl EQUAL -1)
            set(${side}_line "${${side}_rest}")
            set(${side}_rest "")
          else()
            string(SUBSTRING "${${side}_rest}" 0 ${nl} ${side}_line)
            math(EXPR nl "${nl} + 1")
            string(SUBSTRING "${${side}_rest}" ${nl} -1 ${side}_rest)
          endif()
        endforeach()
        if(NOT a_line STREQUAL b_line)
          set(first_diff
              "first difference at line ${line}:\n  expected: ${b_line}\n  actual:   ${a_line}")
          break()
        endif()
        math(EXPR line "${line} + 1")
      endwhile()
      list(APPEND failures
           "standard output differs from ${EXPECTED}\n${first_diff}")
    endif()
  endif()
endif()

if(EMPTY_STDOUT AND NOT out STREQUAL "")
  list(APPEND failures "standard output should be empty")
endif()

foreach(kind CONTAINS NOT_CONTAINS ERR_CONTAINS)
  if(NOT DEFINED ${kind} OR "${${kind}}" STREQUAL "")
    continue()
  endif()
  string(REPLACE "|" ";" needles "${${kind}}")
  foreach(needle IN LISTS needles)
    if(kind STREQUAL "ERR_CONTAINS")
      string(FIND "${err}" "${needle}" pos)
    else()
      string(FIND "${out}" "${needle}" pos)
    endif()
    if(kind STREQUAL "NOT_CONTAINS" AND NOT pos EQUAL -1)
      list(APPEND failures "standard output must not contain '${needle}'")
    elseif(NOT kind STREQUAL "NOT_CONTAINS" AND pos EQUAL -1)
      if(kind STREQUAL "ERR_CONTAINS")
        list(APPEND failures "standard error does not contain '${needle}'")
      else()
        list(APPEND failures "standard output does not contain '${needle}'")
      endif()
    endif()
  endforeach()
endforeach()

if(CHECK_COUNTS)
  string(REGEX MATCHALL "read [0-9]+, loaded [0-9]+, rejected [0-9]+\n"
         counts "${out}")
  foreach(c IN LISTS counts)
    string(REGEX MATCH "read ([0-9]+), loaded ([0-9]+), rejected ([0-9]+)"
           _ "${c}")
    math(EXPR sum "${CMAKE_MATCH_2} + ${CMAKE_MATCH_3}")
    if(NOT sum EQUAL CMAKE_MATCH_1)
      string(STRIP "${c}" c)
      list(APPEND failures "counts do not add up (read != loaded + rejected): ${c}")
    endif()
  endforeach()
endif()

if(DEFINED FILE_EXISTS AND NOT FILE_EXISTS STREQUAL "")
  string(REPLACE "|" ";" paths "${FILE_EXISTS}")
  foreach(p IN LISTS paths)
    cmake_path(ABSOLUTE_PATH p BASE_DIRECTORY "${WORKDIR}")
    if(NOT EXISTS "${p}")
      list(APPEND failures "file ${p} was not written")
    endif()
  endforeach()
endif()

if(failures)
  # NOTICE prints the text as is; FATAL_ERROR would re-wrap the outputs.
  string(REPLACE ";" "\n- " failure_text "${failures}")
  message(NOTICE
    "command: ${cmd_text}\n(in ${WORKDIR})\n"
    "- ${failure_text}\n"
    "--- standard output ---\n${out}"
    "--- standard error ---\n${err}"
    "---")
  list(LENGTH failures n_failures)
  message(FATAL_ERROR "run_and_compare: ${n_failures} check(s) failed")
endif()
