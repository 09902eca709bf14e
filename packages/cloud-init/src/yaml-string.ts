import { Scalar, type ScalarTag } from "yaml";
import { stringifyString, stringTag } from "yaml/util";

/**
 * Plain scalars that PyYAML's SafeLoader (which cloud-init uses, YAML 1.1) would NOT read back as a
 * string. These are the implicit resolvers of PyYAML's `resolver.py`; the `yaml` library's own 1.1
 * schema misses `=` (PyYAML's `value` tag, which SafeLoader cannot even construct) and `<<` (merge).
 */
const IMPLICIT_TYPES: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
  // Not typed by PyYAML, but by other readers of the same text (YAML 1.2 core schema, and the
  // y/n booleans of YAML 1.1 parsers such as the `yaml` library): quoted so every reader agrees.
  /^[yYnN]$/,
  /^[-+]?[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN))$/,
];

/**
 * Characters that must be escaped: control characters (except tab and newline), C1 controls, the
 * YAML 1.1 line breaks NEL/LS/PS (PyYAML would fold them), BOM, non-characters and lone surrogates.
 * PyYAML's reader rejects most of them raw; the `yaml` library writes some of them unescaped.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/u;

/** Strings that stay plain inside a flow sequence such as `[ tailscale, up, --ssh ]`. */
const FLOW_SAFE = /^[A-Za-z0-9_./+-][A-Za-z0-9_./=+-]*$/;

const NAMED_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\0": "\\0",
};

/** A YAML double-quoted scalar on one line, escaping every character from `NEEDS_ESCAPE`. */
function escapeDoubleQuoted(value: string): string {
  let out = '"';
  for (const character of value) {
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) {
      out += named;
    } else if (NEEDS_ESCAPE.test(character)) {
      const code = character.codePointAt(0) ?? 0;
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).padStart(2, "0")}`
          : `\\u${code.toString(16).padStart(4, "0")}`;
    } else {
      out += character;
    }
  }
  return `${out}"`;
}

/**
 * The `str` tag used for rendering: the `yaml` library's own string output, except that strings
 * PyYAML would read as another type are double-quoted, and strings with characters PyYAML mangles
 * are written with escapes.
 */
export const pyyamlSafeStringTag: ScalarTag = {
  ...stringTag,
  stringify(item, context, onComment, onChompKeep) {
    const value = String(item.value);
    if (NEEDS_ESCAPE.test(value)) return escapeDoubleQuoted(value);
    // PyYAML ends a plain scalar at a tab, so a one-line string with a tab is quoted.
    const tabInPlainScalar = value.includes("\t") && !value.includes("\n");
    // In a flow sequence PyYAML ends or rejects plain scalars at ":", "?", ",", brackets and more,
    // so there only plain words stay unquoted.
    // Block scalars lose whitespace-only lines (the `yaml` library writes them as indentation).
    const blankLineInBlock = value.includes("\n") && /(?:^|\n)[ \t]+(?:\n|$)/.test(value);
    const unsafeInFlow = context.inFlow === true && (!FLOW_SAFE.test(value) || value === "-");
    if (
      tabInPlainScalar ||
      blankLineInBlock ||
      unsafeInFlow ||
      IMPLICIT_TYPES.some((pattern) => pattern.test(value))
    ) {
      const quoted = new Scalar(value);
      quoted.type = Scalar.QUOTE_DOUBLE;
      return stringifyString(quoted, context, onComment, onChompKeep);
    }
    return stringifyString(item, context, onComment, onChompKeep);
  },
};
