# The Slurm scripts on a real single-node cluster (munged, slurmctld, slurmd started by the test).
# Needs root and the munge, slurm-wlm and openmpi-bin packages; skipped (77) without them.
add_test(NAME cluster.slurm
         COMMAND ${CMAKE_COMMAND} -E env --unset=PYTHONPATH
                 ${CMAKE_CURRENT_SOURCE_DIR}/cluster/test_slurm.sh
                 --divsim ${DIVSIM_BIN} --root ${PROJECT_SOURCE_DIR}
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/work/cluster)
set_tests_properties(cluster.slurm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE
                     WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
