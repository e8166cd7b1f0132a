/** Where the API is in its life: once draining, it finishes what it has and takes nothing new. */
export interface Lifecycle {
  draining: boolean;
}
