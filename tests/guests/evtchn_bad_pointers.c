#include "hostile_evtchn.h"
const char *hostile_evtchn_bad_pointers(void) { return "stub"; }
