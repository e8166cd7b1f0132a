import { z } from "zod";

// zod compiles its parsers with `new Function` when it may. The page's
// Content-Security-Policy allows no eval, and even zod's probe for it is a
// violation the browser reports. `main.tsx` imports this module first: zod
// decides as each schema is built, and schemas are built as modules load.
z.config({ jitless: true });
