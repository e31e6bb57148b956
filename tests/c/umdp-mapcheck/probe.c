// SPDX-License-Identifier: GPL-2.0-or-later
/* umdp-mapcheck: touching a mapping that may raise SIGBUS. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "mapcheck.h"

/* Per thread: a synchronous SIGBUS/SIGSEGV goes to the faulting thread. */
static _Thread_local sigjmp_buf probe_env;
static _Thread_local volatile sig_atomic_t probe_armed, probe_sig;

static void probe_handler(int sig)
{
	if (!probe_armed) {
		/* not a probe: die of it, as without a handler */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	probe_sig = sig;
	siglongjmp(probe_env, 1);
}

/* Catch SIGBUS and SIGSEGV raised inside probe_read(), from now on. */
void probe_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Read 32 bits at p: 0, or the signal the access raised. */
int probe_read(void *p)
{
	probe_sig = 0;
	probe_armed = 1;
	if (!sigsetjmp(probe_env, 1))
		(void)rd32(p, 0);
	probe_armed = 0;
	return probe_sig;
}
