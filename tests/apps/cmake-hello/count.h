/* SPDX-License-Identifier: GPL-2.0 */
double count_root(double x);
