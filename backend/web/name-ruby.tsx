/** @jsxImportSource hono/jsx */
import { distinctReading } from '../i18n/name-reading.js';

/**
 * A name with its reading above it, ruby-style, when it has one (issue 21);
 * a reading that is the name itself adds nothing.
 *   <NameRuby name="田中 太郎" reading="たなか たろう" /> = <ruby>田中 太郎<rt>たなか たろう</rt></ruby>
 */
export function NameRuby({ name, reading }: { name: string; reading?: string | null }) {
  const r = distinctReading(name, reading);
  return r ? (
    <ruby>
      {name}
      <rt>{r}</rt>
    </ruby>
  ) : (
    <>{name}</>
  );
}
