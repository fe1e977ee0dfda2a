# Runs the generator twice into fresh folders and fails unless both runs
# succeed (the generator checks itself while it runs) and every output file
# is byte-identical.
#   cmake -DGENERATOR=<pktmask-gen-corpus> -DWORK_DIR=<dir> -P deterministic.cmake

file(REMOVE_RECURSE "${WORK_DIR}")
foreach(run first second)
    execute_process(COMMAND "${GENERATOR}" "${WORK_DIR}/${run}"
                    RESULT_VARIABLE status OUTPUT_QUIET)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "pktmask-gen-corpus failed (${status}) on the ${run} run")
    endif()
endforeach()

file(GLOB_RECURSE outputs RELATIVE "${WORK_DIR}/first" "${WORK_DIR}/first/*")
file(GLOB_RECURSE outputs_again RELATIVE "${WORK_DIR}/second" "${WORK_DIR}/second/*")
if(NOT outputs STREQUAL outputs_again)
    message(FATAL_ERROR "the two runs wrote different sets of files")
endif()
foreach(output IN LISTS outputs)
    file(SHA256 "${WORK_DIR}/first/${output}" one)
    file(SHA256 "${WORK_DIR}/second/${output}" two)
    if(NOT one STREQUAL two)
        message(FATAL_ERROR "${output} differs between two runs")
    endif()
endforeach()
list(LENGTH outputs count)
message(STATUS "${count} files, identical over two runs")
