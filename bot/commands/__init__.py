"""Sub-commands of `faqbot`; each module registers itself with the argument parser."""
