/* SPDX-License-Identifier: MIT */
/*
 * check_runner.h - run one Check suite and turn its result into an exit
 * status. Owns: run_check_suite(). Touches: nothing.
 *
 * Shared by the hypervisor's tests (harness.h, as harness_main()) and the
 * guest kernel's (gk_host.h), whose headers cannot meet in one file.
 */
#ifndef PVISOR_TEST_CHECK_RUNNER_H
#define PVISOR_TEST_CHECK_RUNNER_H

#include <check.h>
#include <stdlib.h>

static inline int run_check_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
