// The pseudo-locale a test walks every screen in: each message accented, about a third longer
// and, in `t`, bracketed, so English left outside the catalogues and labels too narrow for
// long translations both show.
export const PSEUDO_LOCALE = "en-XA";

const ACCENTED: Record<string, string> = {
  a: "á", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "í", j: "ĵ", k: "ķ", l: "ļ", m: "ɱ",
  n: "ñ", o: "ö", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "û", v: "ṽ", w: "ŵ", x: "ẋ", y: "ý", z: "ž",
  A: "Á", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Í", J: "Ĵ", K: "Ķ", L: "Ļ", M: "Ṁ",
  N: "Ñ", O: "Ö", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Û", V: "Ṽ", W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};
const VOWELS = new Set("aeiouyAEIOUY");

/** Accents every Latin letter and doubles vowels (about 30–40% longer, as German runs). */
export function pseudolocalize(text: string): string {
  let out = "";
  for (const ch of text) {
    const accented = ACCENTED[ch] ?? ch;
    out += VOWELS.has(ch) ? accented + accented : accented;
  }
  return out;
}
