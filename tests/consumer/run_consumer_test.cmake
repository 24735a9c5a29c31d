# The consumer_project test, run by ctest as `cmake -P`:
#  1. installs the build tree into a scratch prefix and checks that nothing installed asks
#     for -march=native (exported targets, headers) and that Eigen's alignment is pinned;
#  2. NATIVE_LIBRARY: `tree` uses that install (this tree is built with -march=native);
#     `build` first builds and installs a -march=native copy of the libraries from
#     STRIDER_SOURCE_DIR (warnings as errors) and checks its install the same way; `none`
#     uses the tree's install and no -march=native anywhere;
#  3. configures and builds the consumer project against the library with CONSUMER_CXX_FLAGS
#     and -O2 (never -march=native: checked in its compile commands), runs `consumer`,
#     then `consumer_reference write` (predictions.cpp with the library's flags; with
#     `none`, consumer_predictions itself) and `consumer_predictions check` (the same
#     source with the consumer's flags), which fails when a prediction differs.
cmake_minimum_required(VERSION 3.22)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

# Fails when a file installed under `prefix` mentions march=native, or when its exported
# targets do not pin Eigen's alignment.
function(check_install prefix)
  file(GLOB_RECURSE files ${prefix}/*.cmake ${prefix}/include/*)
  set(n_targets 0)
  foreach(f IN LISTS files)
    file(STRINGS ${f} native_lines REGEX "march=native")
    if(native_lines)
      message(FATAL_ERROR "${f} asks for -march=native:\n${native_lines}")
    endif()
    if(f MATCHES "/striderTargets\\.cmake$")
      math(EXPR n_targets "${n_targets} + 1")
      file(READ ${f} targets)
      if(NOT targets MATCHES "EIGEN_MAX_ALIGN_BYTES=64"
         OR NOT targets MATCHES "EIGEN_MAX_STATIC_ALIGN_BYTES=")
        message(FATAL_ERROR "${f} does not pin Eigen's alignment")
      endif()
    endif()
  endforeach()
  if(n_targets EQUAL 0)
    message(FATAL_ERROR "no striderTargets.cmake under ${prefix}")
  endif()
  list(LENGTH files n)
  message(STATUS "${prefix}: ${n} installed files, none asks for -march=native; "
                 "Eigen's alignment pinned")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${STRIDER_BUILD_DIR} --prefix ${prefix})
check_install(${prefix})

set(reference_flags "")
if(NATIVE_LIBRARY STREQUAL "tree")
  set(reference_flags "-march=native")
elseif(NATIVE_LIBRARY STREQUAL "build")
  set(prefix ${WORK_DIR}/native-prefix)
  run("configuring a -march=native build of strider"
    ${CMAKE_COMMAND} -S ${STRIDER_SOURCE_DIR} -B ${WORK_DIR}/native-build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
    -DSTRIDER_NATIVE=ON -DSTRIDER_WARNINGS_AS_ERRORS=ON -DSTRIDER_BUILD_TESTS=OFF
    -DSTRIDER_BUILD_BENCHMARKS=OFF -DSTRIDER_BUILD_EXAMPLES=OFF -DSTRIDER_BUILD_TOOLS=OFF)
  run("building strider with -march=native"
    ${CMAKE_COMMAND} --build ${WORK_DIR}/native-build --parallel 2)
  run("installing the -march=native build"
    ${CMAKE_COMMAND} --install ${WORK_DIR}/native-build --prefix ${prefix})
  check_install(${prefix})
  set(reference_flags "-march=native")
endif()
message(STATUS "library: ${prefix} (-march=native: ${NATIVE_LIBRARY})")

run("configuring the consumer project"
  ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}" "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
  "-DSTRIDER_REFERENCE_FLAGS=${reference_flags}" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
# Without a -march=native library the two builds of predictions.cpp would be the same.
set(reference consumer_predictions)
if(reference_flags)
  set(reference consumer_reference)
endif()
run("building the consumer project" ${CMAKE_COMMAND} --build ${WORK_DIR}/build
  --target consumer consumer_predictions ${reference})
file(READ ${WORK_DIR}/build/compile_commands.json commands)
string(REGEX MATCHALL "\"command\": \"[^\"]*consumer_predictions[^\"]*\"" consumer_commands
  "${commands}")
if(NOT consumer_commands OR consumer_commands MATCHES "march=native")
  message(FATAL_ERROR "consumer_predictions was compiled with -march=native (or not at "
                      "all):\n${consumer_commands}")
endif()

run("the consumer program" ${WORK_DIR}/build/consumer)
message(STATUS "consumer: ${output}")
file(MAKE_DIRECTORY ${WORK_DIR}/reference)
run("${reference} (the library's flags)"
  ${WORK_DIR}/build/${reference} write ${WORK_DIR}/reference)
message(STATUS "${reference}, flags: ${CONSUMER_CXX_FLAGS} -O2 ${reference_flags}\n${output}")
execute_process(COMMAND ${WORK_DIR}/build/consumer_predictions check ${WORK_DIR}/reference
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message(STATUS "consumer_predictions, flags: ${CONSUMER_CXX_FLAGS} -O2\n${out}")
if(rc)
  message(FATAL_ERROR "the consumer's predictions differ from the library side's (${rc})")
endif()
