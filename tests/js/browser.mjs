// What the headless-Chromium scripts share: the flags Chromium needs on this closed
// network (without the background-networking ones it keeps trying to reach Google), and
// `--name value` command-line parsing.

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * Parses `--flag value` pairs. `names` maps each flag to its key in the result,
 * `required` lists keys that must be given, `defaults` fills the rest; `timeoutMs` is
 * read as a number.
 */
export function parseFlags(argv, { names, required, defaults = {} }) {
  const args = { chromium: "/usr/bin/chromium", ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]] ?? { "--chromium": "chromium", "--timeout-ms": "timeoutMs" }[argv[i]];
    if (!name || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    args[name] = name === "timeoutMs" ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const key of required) {
    if (!args[key]) throw new Error(`--${key} is required`);
  }
  return args;
}
