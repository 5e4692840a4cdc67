// firmware/fault.cpp — executes an undefined instruction: the start-up's fault handler must report it
// and exit non-zero (70), so a crashing image fails its test at once instead of hanging.
int main() {
    asm volatile("udf #0");
    return 0;
}
