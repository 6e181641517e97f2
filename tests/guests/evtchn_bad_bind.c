#include "hostile_evtchn.h"
const char *hostile_evtchn_bad_bind(void) { return "stub"; }
