// The kernel's contract against a store that provides the kernel's ports and nothing else: the
// suite must need no domain (no CommunityRepo, no ResidentRepo), and a faithful store must pass it.
import { kernelContract } from "../src/index.js"
import { referenceKernelLayer } from "./ReferenceKernel.js"

kernelContract({ name: "reference kernel", layer: referenceKernelLayer() })
