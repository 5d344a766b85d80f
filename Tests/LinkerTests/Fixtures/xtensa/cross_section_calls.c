// Calls that cross sections and objects, as libgcc members (built without -fpic) make them:
// the assembler cannot resolve these CALL0 and J operands, the linker must.
// Compiled twice: once as is (calls.o), once with -DHELPER_OBJECT (helper.o).
#ifdef HELPER_OBJECT

int helper_in_other_object(int x) { return x * 3 + 1; }

#else

int helper_in_other_object(int x);

// In a section of its own, so the call from mpy_init crosses sections.
__attribute__((noinline, section(".text.second")))
static int twice_plus_helper(int x) { return x * 2 + helper_in_other_object(x); }

// A J into another object: gcc 12 emits no sibling calls for CALL0, so write it by hand.
__asm__(".section .text.jumper, \"ax\"\n"
        ".global jump_to_helper\n"
        ".align 4\n"
        "jump_to_helper:\n"
        "    j helper_in_other_object\n");
int jump_to_helper(int x);

int mpy_init(int x) { return twice_plus_helper(x) + helper_in_other_object(x) + jump_to_helper(x); }

#endif
