void greet(const char *who, double x);
