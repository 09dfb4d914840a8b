#!/usr/bin/env node
// The `build-static` command. A committed shim (not the compiled file itself) so that npm links
// this bin when it installs the workspace, before `dist/` has been built.
import '../dist/cli/main.js';
