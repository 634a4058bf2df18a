// A message carried to the next screen ("Escorted leave saved").
import { store } from "./store";

export interface Flash {
  heading: string;
  body?: string;
  success?: boolean;
}

export const flash = store<Flash | null>(null);
