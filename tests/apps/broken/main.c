// SPDX-License-Identifier: GPL-2.0
/* Bad-input case: an app that does not compile. */
int main(void)
{
	return this_is_not_declared;
}
