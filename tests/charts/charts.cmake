# Charts of a batch file: scripts/batch-charts on a small real batch, every number of its summary
# recomputed from the runs, and the batch's own quantiles pinned to numpy's type 7.
# Included from tests/CMakeLists.txt, which defines DIVSIM_BIN and DEBIAN_PYTHON.
add_test(NAME charts.check_batch_charts
         COMMAND ${CMAKE_COMMAND} -E env --unset=PYTHONPATH
                 ${DEBIAN_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/check_batch_charts.py
                 --divsim ${DIVSIM_BIN} --root ${PROJECT_SOURCE_DIR}
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/work/check_batch_charts)
set_tests_properties(charts.check_batch_charts PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE)
