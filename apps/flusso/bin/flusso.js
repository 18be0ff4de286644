#!/usr/bin/env node
import { runMain } from '../dist/process.js';

runMain();
