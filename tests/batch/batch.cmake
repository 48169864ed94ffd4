# Batches: one machine (threads, jobs, shards, resume, reproduction, content, bad input) and MPI
# ranks (mpirun as root needs OpenMPI's two opt-ins; --oversubscribe lets 3 ranks share 2 cores).
foreach(check IN ITEMS check_batch check_batch_mpi)
  add_test(NAME batch.${check}
           COMMAND ${CMAKE_COMMAND} -E env --unset=PYTHONPATH
                   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
                   ${DEBIAN_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/batch/${check}.py
                   --divsim ${DIVSIM_BIN} --root ${PROJECT_SOURCE_DIR}
                   --workdir ${CMAKE_CURRENT_BINARY_DIR}/work/${check})
  set_tests_properties(batch.${check} PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE SKIP_RETURN_CODE 77)
endforeach()
