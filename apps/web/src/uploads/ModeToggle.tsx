import type { FormMode } from "../api/upload-file";
import styles from "./ModeToggle.module.css";

const MODES: { mode: FormMode; name: string; hint: string }[] = [
  { mode: "queued", name: "Queued", hint: "Answers at once, resizes in the background" },
  { mode: "sync", name: "Sync", hint: "Resizes before the server answers" },
];

interface ModeToggleProps {
  mode: FormMode;
  onChange: (mode: FormMode) => void;
}

/** Which endpoint the next photos go to. */
export function ModeToggle({ mode, onChange }: ModeToggleProps) {
  return (
    <fieldset className={styles.toggle}>
      <legend className={styles.legend}>Processing</legend>
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
