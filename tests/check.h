/* check.h: the few assertion macros of the native tests. A failed check
 * prints where and why and counts; CHECK_DONE() prints the summary line and
 * makes main return non-zero when anything failed, so `make test` stops. */
#ifndef NN_CHECK_H
#define NN_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failed = 0;
static int check_passed = 0;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (cond) {                                                          \
            check_passed++;                                                  \
        } else {                                                             \
            check_failed++;                                                  \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

/* |got - want| <= tol, with NaN always failing. */
#define CHECK_NEAR(got, want, tol, what)                                      \
    CHECK(fabs((double)(got) - (double)(want)) <= (tol),                     \
          "%s: got %.9g want %.9g (tol %g)", (what), (double)(got),          \
          (double)(want), (double)(tol))

#define CHECK_OK(expr) \
    do { int check_rc_ = (expr); CHECK(check_rc_ == 0, "status %d", check_rc_); } while (0)

#define CHECK_DONE()                                                          \
    do {                                                                      \
        printf("%s: %d passed, %d failed\n", __FILE__, check_passed,          \
               check_failed);                                                 \
        return check_failed ? 1 : 0;                                          \
    } while (0)

#endif
