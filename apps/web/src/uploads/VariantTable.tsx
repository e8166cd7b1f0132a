import type { Variant, VariantName } from "@darkroom/contracts";
import { FORMAT_NAMES, formatKilobytes } from "./describe";
import styles from "./VariantTable.module.css";

interface VariantTableProps {
  fileName: string;
  variants: readonly Variant[];
}

/** One row per size, with a link to each format of it. */
export function VariantTable({ fileName, variants }: VariantTableProps) {
  return (
    <table className={styles.table}>
      <caption className="visually-hidden">Variants of {fileName}</caption>
      <tbody>
        {groupBySize(variants).map(([name, formats]) => {
          const size = `${formats[0].width}×${formats[0].height}`;
          return (
            <tr key={name}>
              <th scope="row" className={styles.name}>
                {name}
              </th>
              <td className={styles.size}>{size} px</td>
              <td>
                {formats.map((variant) => (
                  <a
                    key={variant.format}
                    href={variant.url}
                    target="_blank"
                    rel="noopener"
                    className={styles.link}
                  >
                    <span className="visually-hidden">
                      {name} {size} px,{" "}
                    </span>
                    {FORMAT_NAMES[variant.format]}{" "}
                    <span className={styles.bytes}>{formatKilobytes(variant.bytes)}</span>
                  </a>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function groupBySize(variants: readonly Variant[]): [VariantName, [Variant, ...Variant[]]][] {
  const groups = new Map<VariantName, [Variant, ...Variant[]]>();
  for (const variant of variants) {
    const group = groups.get(variant.name);
    if (group) group.push(variant);
    else groups.set(variant.name, [variant]);
  }
  return [...groups];
}
