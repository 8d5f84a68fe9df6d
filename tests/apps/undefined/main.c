// SPDX-License-Identifier: GPL-2.0
/* Bad-input case: an app that calls a function nobody defines. */
void ukl_test_no_such_function(void);

int main(void)
{
	ukl_test_no_such_function();
	return 0;
}
