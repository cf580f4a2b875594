import { Random } from "../tensor/random.js";
import { checkInt, checkOptions } from "../tensor/check.js";

/**
 * The word classes of {@link generateDemoCorpus}: a word's class is what its neighbours should share.
 *
 * @example
 * ```ts
 * DEMO_CLASSES.colours.length; // 8
 * DEMO_CLASSES.animals[0];     // "cat"
 * ```
 */
export const DEMO_CLASSES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  animals: ["cat", "dog", "horse", "cow", "sheep", "mouse", "rabbit", "fox"],
  foods: ["fish", "bread", "cheese", "apple", "rice", "soup", "cake", "meat"],
  colours: ["red", "blue", "green", "yellow", "white", "black", "brown", "pink"],
  places: ["garden", "kitchen", "forest", "park", "river", "house", "field", "market"],
  verbs: ["eats", "sees", "chases", "likes", "finds", "smells", "wants", "watches"],
  people: ["boy", "girl", "farmer", "teacher", "child", "baker", "doctor", "sailor"],
});

// Each template is a sentence pattern; {class} slots are filled by a random word of that class.
const TEMPLATES = [
  "the {animals} {verbs} the {foods} in the {places}",
  "a {colours} {animals} {verbs} some {foods}",
  "the {people} {verbs} a {colours} {animals} near the {places}",
  "every morning the {people} gives {foods} to the {animals}",
  "in the {places} a {animals} {verbs} {colours} {foods}",
  "the {people} walks to the {places} with a {colours} bag",
  "my {animals} sleeps in the {places} after it {verbs} the {foods}",
  "the {people} cooks {foods} and {foods} for the {people}",
];

/**
 * A synthetic corpus from a small seeded grammar, one sentence per line, e.g.
 * `"the cat eats the fish in the garden"`. Words of a class ({@link DEMO_CLASSES}: animals, foods,
 * colours, places, verbs, people) occur in the same slots, so CBOW should place each word near the
 * other words of its class: the demo measures that share.
 *
 * @example
 * ```ts
 * const text = generateDemoCorpus({ sentences: 3, seed: 1 });
 * text.split("\n").length; // 3
 * ```
 */
export function generateDemoCorpus(options: { sentences?: number; seed?: number } = {}): string {
  const fn = "generateDemoCorpus";
  const o = checkOptions(fn, options, ["sentences", "seed"]) as { sentences?: number; seed?: number };
  const n = o.sentences === undefined ? 10000 : checkInt(fn, "sentences", o.sentences, 0);
  const rng = new Random(o.seed === undefined ? 1 : o.seed, fn);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const template = TEMPLATES[rng.int(TEMPLATES.length)];
    lines.push(template.replace(/\{(\w+)\}/g, (_, cls: string) => {
      const words = DEMO_CLASSES[cls];
      return words[rng.int(words.length)];
    }));
  }
  return lines.join("\n");
}
