import type { PageMode } from "../api/upload-file";
import { MODES } from "./modes";
import styles from "./ModeToggle.module.css";

interface ModeToggleProps {
  mode: PageMode;
  onChange: (mode: PageMode) => void;
}

/** How the next photos are sent. */
export function ModeToggle({ mode, onChange }: ModeToggleProps) {
  return (
    <fieldset className={styles.toggle}>
      <legend className={styles.legend}>Upload mode</legend>
      <div className={styles.options}>
        {MODES.map((option) => (
          <label key={option.mode} className={styles.option}>
            <input
              type="radio"
              name="upload-mode"
              value={option.mode}
              checked={mode === option.mode}
              onChange={() => onChange(option.mode)}
              className={styles.radio}
            />
            <span className={styles.name}>{option.name}</span>
            <span className={styles.hint}>{option.hint}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
