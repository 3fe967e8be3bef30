// A tiny DOM builder: h("button", {class: "big", onclick}, "text", child, ...).

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      element.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the contents of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled form field. */
export function field(labelText: string, input: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, labelText), input);
}

/** A `<select>` with `(value, label)` options. */
export function select(name: string, options: [string, string][], selected = ""): HTMLSelectElement {
  const element = h("select", { name }) as HTMLSelectElement;
  for (const [value, text] of options) {
    const option = h("option", { value }, text) as HTMLOptionElement;
    option.selected = value === selected;
    element.appendChild(option);
  }
  return element;
}

/** The values of a form's named fields (checkboxes as booleans). */
export function formValues(form: HTMLFormElement): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const element of Array.from(form.elements)) {
    const input = element as HTMLInputElement;
    if (!input.name) continue;
    out[input.name] = input.type === "checkbox" ? input.checked : input.value;
  }
  return out;
}

/** A short message at the bottom of the screen. */
export function toast(message: string, kind: "ok" | "error" = "ok"): void {
  const note = h("div", { class: `toast toast-${kind}`, role: "status", "data-testid": "toast" }, message);
  document.body.appendChild(note);
  setTimeout(() => note.remove(), 4000);
}
