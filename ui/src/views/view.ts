/** A page of the dashboard: built once, refreshed in place while it is shown. */
export interface View {
  el: HTMLElement;
  title: string;
  refresh(): Promise<void>;
}
