/** A page of the dashboard: built once, refreshed in place while it is shown. */
export interface View {
  el: HTMLElement;
  title: string;
  refresh(): Promise<void>;
  /** Called when the page is left (closes what it keeps open, such as the event feed's connection). */
  close?(): void;
}
