// SPDX-License-Identifier: GPL-2.0
/* Facts about the app for the launcher: argv[0]. */
#ifndef UKL_APP_NAME
#error "UKL_APP_NAME must be defined"
#endif
const char ukl_app_name[] = UKL_APP_NAME;
