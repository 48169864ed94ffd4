# Batches: one machine (threads, jobs, shards, resume, reproduction, content, bad input) and MPI
# ranks (mpirun as root needs OpenMPI's two opt-ins; --oversubscribe lets 3 ranks share 2 cores).
foreach(check IN ITEMS check_batch check_batch_mpi)
  add_test(NAME batch.${check}
           COMMAND ${CMAKE_COMMAND} -E env --unset=PYTHONPATH
                   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
                   ${DEBIAN_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/batch/${check}.py
                   --divsim ${DIVSIM_BIN} --root ${PROJECT_SOURCE_DIR}
                   --workdir ${CMAKE_CURRENT_BINARY_DIR}/work/${check})
  set_tests_properties(batch.${check} PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
endforeach()
# Three MPI ranks on two cores: not beside other tests.
set_tests_properties(batch.check_batch_mpi PROPERTIES RUN_SERIAL TRUE)

# The quick start's batch is valid and runs (at a small scale here; the full scale is a benchmark).
add_test(NAME batch.shipped_wsis20_portfolios
         COMMAND ${EXPECT} 0 "portfolio-balanced +2030"
                 -- ${DIVSIM_BIN} batch ${PROJECT_SOURCE_DIR}/scenarios/batches/wsis20-portfolios.toml
                    --agents 2000 -q --force -o ${CMAKE_CURRENT_BINARY_DIR}/work/shipped/wsis20.h5)
add_test(NAME cli.batch_without_file
         COMMAND ${EXPECT} 2 "divsim: nowhere.toml: expected a batch file, found none"
                 -- ${DIVSIM_BIN} batch nowhere.toml)
add_test(NAME cli.reproduce_not_a_file
         COMMAND ${EXPECT} 2 "divsim: nowhere.h5: expected a divsim run or batch file, found none"
                 -- ${DIVSIM_BIN} reproduce nowhere.h5)
add_test(NAME cli.batch_dry_run
         COMMAND ${EXPECT} 0 "50 runs = 5 scenarios x 5 draws x 2 replicates, 1000000 agents"
                 -- ${DIVSIM_BIN} batch ${PROJECT_SOURCE_DIR}/scenarios/batches/wsis20-portfolios.toml
                    --dry-run -o ${CMAKE_CURRENT_BINARY_DIR}/work/never/never.h5)
