// Source code of the ELF test fixtures (C and Rust), kept apart from the build logic in fixtures.ts.
export const HELLO = `#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) { char *p = malloc(32 + argc); printf("hello %p %s\\n", (void *)p, argv[0]); free(p); return 0; }
`;
export const NOP = 'int main(void) { return 0; }\n';
export const MALLOPT = `#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
int main(void) { mallopt(M_MMAP_THRESHOLD, 65536); void *p = malloc(100000); printf("%p\\n", p); free(p); return 0; }
`;
export const THREADS = `#include <pthread.h>
#include <stdio.h>
static void *work(void *arg) { return arg; }
int main(void) { pthread_t t; void *r; pthread_create(&t, 0, work, (void *)42); pthread_join(t, &r); printf("%p\\n", r); return 0; }
`;
// Strings copied from the allocators' sources, to check detection without linking the allocator.
export const MIMALLOC_STRINGS = `#include <stdio.h>
const char *const m[] = { "mimalloc: error: ", "mimalloc: warning: ", "environment option mimalloc_%s has an invalid value.\\n" };
int main(int argc, char **argv) { printf("%s %s\\n", m[argc % 3], argv[0]); return 0; }
`;
export const MENTIONS_MIMALLOC = `#include <stdio.h>
int main(void) { puts("mimalloc: error: this program only talks about mimalloc"); return 0; }
`;
export const STUB_LIB = (fn: string) => `#include <stddef.h>\nvoid *${fn}(size_t n) { (void)n; return NULL; }\n`;
export const USE_LIB = (fn: string) => `#include <stdio.h>\n#include <stddef.h>\nvoid *${fn}(size_t);\nint main(void) { printf("%p\\n", ${fn}(8)); return 0; }\n`;
export const LIB = 'int bs_fixture_answer(void) { return 42; }\n';
export const START32 = `const char marker[] = "elf32 fixture";
void _start(void) { __asm__ volatile("movl $1, %eax\\n movl $0, %ebx\\n int $0x80"); }
`;
export const RUST_THREADS = `fn main() {
    let hs: Vec<_> = (0..2).map(|i| std::thread::spawn(move || i * 2)).collect();
    let n: i32 = hs.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{n}");
}
`;
export const RUST_NO_THREADS = `fn main() {
    let v: Vec<String> = std::env::args().collect();
    let s = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    println!("{} {}", v.len(), s.len());
}
`;
