# The install test (CTest: install_consumer): installs the build in
# DETSIM_BUILD_DIR into WORK_DIR/prefix, builds tests/consumer against it
# with find_package(detsim), and runs it on a shipped scenario and sweep.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${err}")
  endif()
endfunction()

step(${CMAKE_COMMAND} --install ${DETSIM_BUILD_DIR} --prefix ${prefix})
foreach(f include/detsim/run.hpp share/detsim/policies/cooperative.yaml bin/detsim
          lib/cmake/detsim/detsimConfig.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
step(${CMAKE_COMMAND} -S ${DETSIM_SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
     -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix})
step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
# The sweep's base scenario finds the presets as any scenario does without
# LoadOptions::preset_dir: $DETSIM_PRESETS, else next to the program.
step(${CMAKE_COMMAND} -E env DETSIM_PRESETS=${prefix}/share/detsim/policies
     ${WORK_DIR}/build/detsim_consumer ${DETSIM_SOURCE_DIR}/scenarios/county-jail.yaml
     ${DETSIM_SOURCE_DIR}/scenarios/sweeps/pickup-capacity.yaml)
