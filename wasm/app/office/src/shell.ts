// The page's fixed parts shared by the console and the report: language buttons, the
// static words marked `data-i18n`, and the status line.

import { currentLang, setLang, t, type Lang, type Strings } from "../../src/i18n.js";

/** Fills every `[data-i18n]` element with its string in the current language. */
export function translateStatic(): void {
  document.documentElement.lang = currentLang() === "zh" ? "zh-CN" : "en";
  for (const element of Array.from(document.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    element.textContent = t(element.dataset.i18n as keyof Strings);
  }
  for (const button of Array.from(document.querySelectorAll<HTMLElement>("[data-lang]"))) {
    button.classList.toggle("active", button.dataset.lang === currentLang());
  }
}

export function languageButtons(changed: () => void): void {
  for (const button of Array.from(document.querySelectorAll<HTMLElement>("[data-lang]"))) {
    button.addEventListener("click", () => {
      setLang(button.dataset.lang as Lang);
      translateStatic();
      changed();
    });
  }
}

export function status(text: string, error = false): void {
  const line = document.getElementById("status");
  if (!line) return;
  line.textContent = text;
  line.classList.toggle("error", error);
}
